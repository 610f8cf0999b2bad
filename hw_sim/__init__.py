"""Register-level hardware simulator: a virtual clock, an I2C bus, ADS1115 and SSD1306
emulators, gpiozero mock pins, the cushion's sensors and a body sitting on it.

Only transport objects are replaced; the real driver libraries run unchanged on top.
"""
