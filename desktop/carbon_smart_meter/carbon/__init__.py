"""Avoided-emission estimates: kWh x an emission factor whose provenance travels with every figure.

The result is an estimate of avoided emissions, never an offset or a certified credit.
"""
