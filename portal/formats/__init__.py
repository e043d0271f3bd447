"""Date and number formats Django lacks for the portal's languages (FORMAT_MODULE_PATH)."""
