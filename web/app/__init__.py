"""The web interface (issue 19): views, forms and templates over the store and the engine."""
