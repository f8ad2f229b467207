/** Every demo account's password in end-to-end runs (synthetic data only). */
export const DEMO_PASSWORD = 'quiet harbour lantern 2026';

export const DEMO = {
  clinician: 'clinician.demo@example.test',
  manager: 'manager.demo@example.test',
  admin: 'admin.demo@example.test',
  patient: 'patient.demo@example.test',
  organisation: 'Riverside Implant Clinic (demo)',
};
