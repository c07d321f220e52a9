"""Who is notified of what (recipients.py), and how: mobile push through Mattermost's push proxy
(push.py, signed by signing.py). E-mail and Web Push plug into the same decision."""
