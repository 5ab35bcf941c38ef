"""The product's logic, callable from routes, the CLI and scheduled jobs alike."""
