"""The learner web chat: a channel adapter like ``bot.telegram``, over the same conversation
service. A browser is a device (a random id in a cookie); its messages and Llais's replies are
kept in a mailbox the page shows."""
