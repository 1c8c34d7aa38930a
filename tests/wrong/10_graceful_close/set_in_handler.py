"""Wrong: the signal handler itself calls closing.set(), while main waits in closing.wait().

It looks like the obvious way. But the handler runs in main, in the middle of
closing.wait(): a multiprocessing Event's set() waits until every sleeper it
wakes has woken, and the sleeper is main itself, which cannot go on until
the handler returns. main waits for itself for ever (HANG).
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
    def close(signum, frame):
        closing.set()
    signal.signal(signal.SIGTERM, close)
    signal.signal(signal.SIGINT, close)
    closing.wait()  # the shop is open until closing time
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
