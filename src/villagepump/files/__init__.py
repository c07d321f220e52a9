"""File storage and processing: where uploaded bytes live, how images are made safe, and what
Content-Type a stored file is served with."""
