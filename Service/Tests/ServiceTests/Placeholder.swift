import XCTest
@testable import SchedulingService
