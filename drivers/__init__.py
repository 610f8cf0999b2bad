"""Thin wrappers over the real hardware libraries (Adafruit ADS1x15, luma.oled, gpiozero).

The same classes run on the Pi and in the simulator: only the bus, pin factory and
clock objects handed to them differ.
"""
