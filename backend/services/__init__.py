"""The product's logic, callable from routes, the CLI and scheduled jobs alike.

Grouped by who calls whom into packages (releases, evaluation, accounts, passkeys,
reminders), each with one door: its `__init__` exports the verbs others call, and code
outside a package imports only from the door. Single-purpose modules sit here beside them.
"""
