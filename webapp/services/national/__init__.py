"""The national system (CDB): its contract and receipt codes, the lists imported from it,
reconciliation, and universities' receipt confirmations."""
