"""Compensation of social forces (补偿, MISSION §4(一)): how long each deployment lasted and
how many people it sent, per force and month."""
