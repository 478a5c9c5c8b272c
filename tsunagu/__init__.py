"""tsunagu (つなぐ): software for a municipal children and family center and its partners."""
