import MIPKit

/// The command line's test seam for GLPK errors (docs/ARCHITECTURE.md, "GLPK errors"):
/// package-visible, never public. The command line arms it when its environment holds
/// ``environmentVariable`` = `callback` — only the CLI tests set that — and every integer-program
/// solve of the process then meets a GLPK error in its branch-and-cut callback, as a real one
/// would, so that the tests see the solve end with exit 70 and the process survive.
package enum GLPKFaultSeam {
    /// The environment variable the command line reads.
    package static let environmentVariable = "INFUSION_SCHEDULER_TEST_GLPK_FAULT"

    /// Arms the fault for every solve of this process from now on.
    package static func armForEverySolve() {
        GLPKSolver.injectFaultInEverySolve()
    }
}
