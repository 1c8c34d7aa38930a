"""Wrong: only Ctrl+C (SIGINT) closes the shop; SIGTERM is left as it is.

Python turns SIGINT into KeyboardInterrupt by itself, so Ctrl+C works. But
SIGTERM, what `kill` and every service manager send, still does what it does
by default: it ends main at once, with the shop open and nobody counting
anything (CRASH: main was killed by SIGTERM).
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
