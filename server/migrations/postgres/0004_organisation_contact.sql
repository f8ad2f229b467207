-- How patients reach a clinic: printed on the implant card (EU MDR article 18) and shown to
-- patients with their records. Free text (telephone, address or both), set by the clinic's
-- manager or a registry administrator. A reference-table column: no distribution change.
ALTER TABLE organisations ADD COLUMN contact TEXT CHECK (contact IS NULL OR length(contact) <= 300);
