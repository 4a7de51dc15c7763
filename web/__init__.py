"""The one web application: the learner web chat, and later the staff dashboard and webhooks."""
