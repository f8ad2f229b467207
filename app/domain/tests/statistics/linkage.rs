//! Which revision belongs to which primary: side and site, superseded primaries, same-day
//! records, missing pseudonyms and the analysis date.

use domain::procedure::{BodySite, Laterality, ProcedureType};
use domain::statistics::{AnalysisSet, Count, DeviceKey};

use super::support::{Record, assert_followed, date, follow_up, of_patient_1, procedure};
use BodySite::{Hip, Knee};
use Laterality::{Bilateral, Left, Right};
use ProcedureType::{Primary, Removal, Revision};

#[test]
fn left_and_right_are_followed_apart() {
    let events = [
        of_patient_1(1, "2020-01-01", Primary, Hip, Left),
        of_patient_1(2, "2020-06-01", Primary, Hip, Right),
        of_patient_1(3, "2021-01-01", Revision, Hip, Right),
    ];
    let set = AnalysisSet::build(&events, date("2022-01-01"));
    assert_followed(&set, 1, (731, false), "left: censored at the analysis date");
    assert_followed(&set, 2, (214, true), "right: revised after 214 days");
    assert_eq!(set.linkage().linked_revisions, Count::Shown(1));
}

#[test]
fn laterality_and_body_site_must_match_exactly() {
    let events = [
        of_patient_1(1, "2020-01-01", Primary, Hip, Bilateral),
        of_patient_1(2, "2020-03-01", Revision, Hip, Left),
        of_patient_1(3, "2020-04-01", Revision, Knee, Bilateral),
    ];
    let set = AnalysisSet::build(&events, date("2021-01-01"));
    assert_eq!(follow_up(&set, 1), (366, false));
    assert_eq!(set.linkage().revisions_without_primary, Count::Shown(2));
}

#[test]
fn a_second_primary_on_one_side_supersedes_the_first() {
    let events = [
        of_patient_1(1, "2018-01-01", Primary, Hip, Left),
        of_patient_1(2, "2019-01-01", Primary, Hip, Left),
        of_patient_1(3, "2020-01-01", Revision, Hip, Left),
    ];
    let set = AnalysisSet::build(&events, date("2021-01-01"));
    assert_followed(&set, 1, (365, false), "censored when replaced");
    assert_followed(&set, 2, (365, true), "the revision is of the later one");
    assert_eq!(set.linkage().superseded_primaries, Count::Shown(1));
}

#[test]
fn a_revision_before_any_primary_is_not_linked() {
    let events = [
        of_patient_1(1, "2017-06-01", Revision, Hip, Left),
        of_patient_1(2, "2018-01-01", Primary, Hip, Left),
    ];
    let set = AnalysisSet::build(&events, date("2019-01-01"));
    assert_eq!(follow_up(&set, 2), (365, false));
    let linkage = set.linkage();
    assert_eq!(linkage.revisions_without_primary, Count::Shown(1));
    assert_eq!(linkage.linked_revisions, Count::Shown(0));
}

#[test]
fn only_the_first_revision_counts_and_a_new_primary_starts_afresh() {
    let events = [
        of_patient_1(1, "2015-01-01", Primary, Knee, Right),
        of_patient_1(2, "2016-01-01", Revision, Knee, Right),
        of_patient_1(3, "2016-02-01", Removal, Knee, Right),
        of_patient_1(4, "2017-01-01", Primary, Knee, Right),
        of_patient_1(5, "2018-01-01", Removal, Knee, Right),
    ];
    let set = AnalysisSet::build(&events, date("2020-01-01"));
    assert_eq!(follow_up(&set, 1), (365, true));
    assert_eq!(follow_up(&set, 4), (365, true));
    let linkage = set.linkage();
    assert_eq!(linkage.linked_revisions, Count::Shown(2));
    assert_eq!(linkage.later_revisions, Count::Shown(1));
    assert_eq!(linkage.superseded_primaries, Count::Shown(0));
}

#[test]
fn same_day_revisions_follow_primaries_by_procedure_id() {
    // Recorded after the primary (higher id): a revision at time 0.
    let after = [
        of_patient_1(10, "2020-01-01", Primary, Hip, Left),
        of_patient_1(11, "2020-01-01", Revision, Hip, Left),
    ];
    let set = AnalysisSet::build(&after, date("2021-01-01"));
    assert_eq!(follow_up(&set, 10), (0, true));
    // Recorded before it (lower id): not a revision of it.
    let before = [
        of_patient_1(10, "2020-01-01", Primary, Hip, Left),
        of_patient_1(9, "2020-01-01", Revision, Hip, Left),
    ];
    let set = AnalysisSet::build(&before, date("2021-01-01"));
    assert_eq!(follow_up(&set, 10), (366, false));
    assert_eq!(set.linkage().revisions_without_primary, Count::Shown(1));
}

#[test]
fn procedures_without_a_pseudonym_count_in_volumes_only() {
    let mut events = vec![
        of_patient_1(1, "2020-01-01", Primary, Hip, Left),
        of_patient_1(2, "2020-01-01", Primary, Hip, Right),
        of_patient_1(3, "2020-05-01", Revision, Hip, Right),
    ];
    events[1].patient = None;
    events[2].patient = None;
    let set = AnalysisSet::build(&events, date("2021-01-01"));
    let linkage = set.linkage();
    assert_eq!(linkage.unlinkable_primaries, Count::Shown(1));
    assert_eq!(linkage.revisions_without_pseudonym, Count::Shown(1));
    let hips = set.survival_for_body_site(Hip);
    assert_eq!(
        (hips.primaries, hips.unlinkable, hips.revisions),
        (Count::Shown(1), Count::Shown(1), Count::Shown(0))
    );
    assert_eq!(
        set.revision_rate_for_device(DeviceKey(2)).component_years,
        0.0
    );
    let volume = set.volumes()[0];
    assert_eq!((volume.year, volume.body_site), (2020, Hip));
    assert_eq!(
        (volume.primaries, volume.revisions),
        (Count::Shown(2), Count::Shown(1))
    );
}

#[test]
fn nothing_after_the_analysis_date_counts() {
    let events = [
        of_patient_1(1, "2020-01-01", Primary, Hip, Left),
        of_patient_1(2, "2021-06-01", Revision, Hip, Left),
        of_patient_1(3, "2021-06-01", Primary, Hip, Right),
    ];
    let set = AnalysisSet::build(&events, date("2021-01-01"));
    assert_eq!(follow_up(&set, 1), (366, false));
    assert_eq!(set.linkage().primaries, Count::Shown(1));
    assert_eq!(set.linkage().revisions, Count::Shown(0));
    assert_eq!(set.devices(), &[DeviceKey(1)]);
}

#[test]
fn a_primary_counts_once_for_every_device_in_it() {
    let events = [procedure(Record {
        patient: Some(1),
        devices: vec![5, 6, 6],
        ..Record::left_hip(1, "2020-01-01", Primary)
    })];
    let set = AnalysisSet::build(&events, date("2021-01-01"));
    for device in [5, 6] {
        let report = set.survival_for_device(DeviceKey(device));
        assert_eq!(report.primaries, Count::Shown(1), "device {device}");
    }
    assert_eq!(
        set.survival_for_device(DeviceKey(99)).primaries,
        Count::Shown(0)
    );
}
