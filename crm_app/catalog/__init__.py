"""The catalog: Catalog Item's goods and services and their units of measure (OKEI)."""
