"""Reminder schedules and the push subscriptions of a person's devices."""
