"""Interleaved rounds for the benchmark scripts: every client measured once per round, in turn, so
that a burst of load from elsewhere lands on all alike; figures are medians over the rounds, and
ratios are taken both of the medians and round by round (the same moment for both clients)."""
import statistics


class Rounds:
    def __init__(self):
        self._by_round = {}
        self.clients = []  # in the order first seen

    def add(self, rnd, client, **values):
        self._by_round.setdefault(int(rnd), {})[client] = values
        if client not in self.clients:
            self.clients.append(client)

    def __len__(self):
        return len(self._by_round)

    def series(self, client, key):
        """The value of key for client in every round that measured it, in round order."""
        return [r[client][key] for _, r in sorted(self._by_round.items()) if client in r]

    def median(self, client, key):
        return statistics.median(self.series(client, key))

    def ratio(self, a, b, key):
        """(median of a / median of b, [a / b in each round that measured both])."""
        per = [r[a][key] / r[b][key] for _, r in sorted(self._by_round.items())
               if a in r and b in r and r[b][key]]
        return self.median(a, key) / self.median(b, key), per


def verdict(flags):
    """met when every flag is true, not met when none is, partly met in between."""
    flags = list(flags)
    return "met" if all(flags) else "partly met" if any(flags) else "not met"


def per_round(values, fmt="{:.2f}x"):
    return ", ".join(fmt.format(v) for v in values)
