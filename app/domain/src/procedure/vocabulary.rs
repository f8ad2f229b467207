//! The record's fixed choices: what was done, where, on which side, why, the patient's consent
//! and sex. Each has a stored code and a label (see `choice!`).

choice!(
    /// What was done.
    ProcedureType {
        Primary => ("primary", "Primary implant"),
        Revision => ("revision", "Revision (one or more components replaced)"),
        Removal => ("removal", "Removal without replacement"),
    }
);

choice!(
    /// Where the implant is.
    BodySite {
        Hip => ("hip", "Hip"),
        Knee => ("knee", "Knee"),
        Shoulder => ("shoulder", "Shoulder"),
        Elbow => ("elbow", "Elbow"),
        Ankle => ("ankle", "Ankle"),
        Spine => ("spine", "Spine"),
        Breast => ("breast", "Breast"),
        HeartValve => ("heart_valve", "Heart valve"),
        CardiacRhythm => ("cardiac_rhythm", "Pacemaker or defibrillator (ICD)"),
        Other => ("other", "Other"),
    }
);

choice!(
    Laterality {
        Left => ("left", "Left"),
        Right => ("right", "Right"),
        Bilateral => ("bilateral", "Both sides"),
        NotApplicable => ("not_applicable", "Not applicable"),
    }
);

choice!(
    /// Why a revision or removal was done (the national joint registry's reasons, and those of
    /// breast and cardiac device registries).
    RevisionReason {
        AsepticLoosening => ("aseptic_loosening", "Aseptic loosening"),
        Infection => ("infection", "Infection"),
        Instability => ("instability", "Dislocation or instability"),
        PeriprostheticFracture => ("periprosthetic_fracture", "Periprosthetic fracture"),
        Pain => ("pain", "Unexplained pain"),
        Wear => ("wear", "Wear of the implant"),
        ImplantFracture => ("implant_fracture", "Fracture of the implant"),
        Malalignment => ("malalignment", "Malalignment"),
        AdverseReaction => ("adverse_reaction", "Adverse reaction to particulate debris"),
        Rupture => ("rupture", "Rupture (breast implant)"),
        CapsularContracture => ("capsular_contracture", "Capsular contracture (breast implant)"),
        Malfunction => ("malfunction", "Device malfunction"),
        Other => ("other", "Other"),
    }
);

choice!(
    /// The patient's consent to their record being linked to them.
    Consent {
        Given => ("given", "Given: the record is linked to the patient"),
        Declined => ("declined", "Declined: device statistics only"),
        NotAsked => ("not_asked", "Not asked: device statistics only"),
    }
);

choice!(
    Sex {
        Female => ("female", "Female"),
        Male => ("male", "Male"),
        Other => ("other", "Other"),
        NotKnown => ("not_known", "Not known"),
    }
);
