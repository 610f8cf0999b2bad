"""The device: wires drivers, session logic and storage together (loop, UI, CLI)."""
