"""coach: an offline, voice-based practice coach for customer-service calls."""

__version__ = "0.1.0"
