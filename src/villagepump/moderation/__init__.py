"""Moderation: the terms of service every user accepts, the audit log, what is kept of client
addresses, and the reports queue's command line (the reports themselves: actions/reports.py).
(Moderators' tools come next.)"""
