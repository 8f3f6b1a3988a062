"""The curriculum pack: YAML files under content/, validated whole, then written all or nothing."""
