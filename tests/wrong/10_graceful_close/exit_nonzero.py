"""Wrong: main closes the shop well, then ends with exit code 128 + the signal's number.

That is how a shell reports a process that a signal killed (143 for SIGTERM,
130 for SIGINT). But this process was not killed: it closed cleanly, and a
program that did its work ends with exit code 0 (CRASH).
"""
import multiprocessing
import queue
import signal
import sys


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
    received = []
    signal.signal(signal.SIGINT, lambda signum, frame: (received.append(signum), signal.default_int_handler(signum, frame)))
    signal.signal(signal.SIGTERM, lambda signum, frame: (received.append(signum), signal.default_int_handler(signum, frame)))
    try:
        closing.wait()  # the shop is open until closing time
    except KeyboardInterrupt:
        closing.set()
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
    sys.exit(128 + received[0])  # "like a shell reports a signal"
