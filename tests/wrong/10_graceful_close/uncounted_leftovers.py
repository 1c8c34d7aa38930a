"""Wrong: the diners stop at closing time, but nobody counts the buns left on the counter.

The close itself is right: cooks stop, diners finish the bun in hand, main
ends with exit code 0. But the buns still on the counter vanish with the
queue: eaten + left over is not what was cooked (LOST).
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
    print("Closed.")  # "whatever is left on the counter goes in the bin"
