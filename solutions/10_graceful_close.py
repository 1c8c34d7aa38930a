"""Kata 10 · Closing time: reference solution.

The signal only reaches main, and only main's main thread runs the handler,
so the handler does the least it can: SIGTERM is made to raise
KeyboardInterrupt, as Ctrl+C (SIGINT) already does, and main turns that into
closing.set(), outside the handler. (Setting a multiprocessing.Event inside
the handler, while main waits on that very Event, deadlocks: set() waits for
the sleeper it wakes, and the sleeper is main itself.)

The workers look at `closing` between buns, never in the middle of one: a
cook puts the bun it has cooked, a diner finishes the bun in hand. A diner
never blocks for good in get(): it waits a little, then looks at `closing`
again. Once everyone has gone home, nobody can put or take a bun any more, so
what is still on the counter is exactly the leftovers: main counts each one.
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
    diners = [multiprocessing.Process(target=diner, args=(counter, shop, closing)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM closes the shop as Ctrl+C does
    try:
        closing.wait()  # the shop is open until closing time
    except KeyboardInterrupt:
        closing.set()  # here, not in the handler: see above
    for person in cooks + diners:
        person.join()  # everyone finishes what is in hand and goes home
    leftovers = 0
    while True:
        try:
            bun = counter.get_nowait()  # nobody puts or takes any more: what is left is the leftovers
        except queue.Empty:
            break
        shop.leftover(bun)
        leftovers += 1
    print(f"Closed. {leftovers} bun(s) left over.")
