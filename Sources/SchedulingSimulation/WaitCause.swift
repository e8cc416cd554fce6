/// Why a patient who is there, and whose booked time has come, is not yet in treatment.
package enum WaitCause: Int, CaseIterable, Sendable {
    /// The same-day lab results are not back (the draw itself may be waiting for a station).
    case labs
    /// The drug is not ready (late to the pharmacy, or its compounder busy).
    case drug
    /// The patient's chair is still taken.
    case chair
    /// The patient's nurse already carries as much acuity as the nurse may.
    case nurseCapacity
    /// The patient's nurse is giving another patient intensive minutes, or is on a break.
    case nurseAttention
    /// The treatment is over but the nurse is not free to disconnect the patient.
    case disconnect

    /// The name used in the report.
    package var name: String {
        switch self {
        case .labs: "labs"
        case .drug: "drug"
        case .chair: "chair"
        case .nurseCapacity: "nurseCapacity"
        case .nurseAttention: "nurseAttention"
        case .disconnect: "disconnect"
        }
    }
}
