"""Outgoing e-mail: the message catalogue and composition (compose.py) and the SMTP client
(smtp.py). Mails leave through the outbox (jobs/email.py), never from a request."""
