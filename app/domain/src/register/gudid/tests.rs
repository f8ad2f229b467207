use super::rows::*;

#[test]
fn column_lists_are_in_the_order_of_their_indices() {
    assert_eq!(DEVICE_COLUMNS[PRIMARY_DI].name, "PrimaryDI");
    assert_eq!(
        DEVICE_COLUMNS[DISTRIBUTION_END].name,
        "deviceCommDistributionEndDate"
    );
    assert_eq!(DEVICE_COLUMNS[DEVICE_AGENCY].name, "deviceIdIssuingAgency");
    assert_eq!(DEVICE_COLUMNS[SINGLE_USE].name, "singleUse");
    assert_eq!(IDENTIFIER_COLUMNS[ID_PACKAGE_TYPE].name, "pkgType");
    assert_eq!(IDENTIFIER_COLUMNS[ID_CONTAINS].name, "containsDINumber");
}
