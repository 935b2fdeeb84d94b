"""Links to adapters: serial ports (pyserial), the simulator on a pseudo-terminal, replay files."""
