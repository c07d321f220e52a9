"""Moderation: the terms of service every user accepts, the audit log, what is kept of client
addresses. (Reports and moderators' tools come next.)"""
