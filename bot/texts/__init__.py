"""Japanese user-facing strings, one module per area, kept together."""
