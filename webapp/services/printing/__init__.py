"""Printed documents: what each shows, laid out as PDF with the fonts they need, in both
languages and either Chinese script."""
