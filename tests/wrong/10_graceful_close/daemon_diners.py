"""Wrong: daemon diners, and main does not wait for them at closing time.

"Daemons go away with main, so there is nothing to join." But a diner may be
in the middle of a bun when main ends: the daemon is killed there, and that
bun is neither eaten nor left over (LOST, half-eaten).
"""
import multiprocessing
import queue
import signal


def cook(counter, shop, closing):
    for bun in shop.buns():
        counter.put(bun)
        if closing.is_set():
            break  # closing time: cook no more


def diner(counter, shop, closing):
    while not closing.is_set():
        try:
            bun = counter.get(timeout=0.05)  # a bounded wait: look at `closing` again soon
        except queue.Empty:
            continue
        shop.eat(bun)  # the bun in hand is finished, closing or not


def open_shop(shop):
    closing = multiprocessing.Event()
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop, closing)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop, closing), daemon=True)
              for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM closes the shop as Ctrl+C does
    try:
        closing.wait()  # the shop is open until closing time
    except KeyboardInterrupt:
        closing.set()  # here, not in the handler: see above
    for a_cook in cooks:
        a_cook.join()  # the diners are daemons: they leave with main
    leftovers = 0
    while True:
        try:
            bun = counter.get_nowait()  # nobody puts or takes any more: what is left is the leftovers
        except queue.Empty:
            break
        shop.leftover(bun)
        leftovers += 1
    print(f"Closed. {leftovers} bun(s) left over.")
