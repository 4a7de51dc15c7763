"""Channel adapters: the only code that knows Telegram; each turns its channel into ``Inbound``."""
