"""Person-week contributions, published releases and their cells."""
