"""The state register (EGRUL/EGRIP) by INN: `card` reads the register service's answer
(pure), `lookup` calls the service and fills a Client Company."""
