"""Pure session logic: recordings, signal processing, detection, scoring, programmes.

No hardware imports here: everything takes numbers (and timestamps) in, and gives
states, events and scores out, so the device, the analyzer and the simulator all run
exactly the same code.
"""
