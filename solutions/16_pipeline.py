"""Kata 16 · From the kitchen to the table: reference solution.

Each stage learns that the one before it is done from main, and only once
it is really done: main joins every worker of a stage before it sends the
next stage its end-of-stream, one None per worker of that stage. So the
shutdown flows down the pipeline in order (cooks, then steamers, then
diners), and no None ever overtakes a bun: it is put after the last bun of
the stage before it, on a first-in, first-out counter.
"""
import multiprocessing


def cook(raw, shop):
    for bun in shop.buns():
        raw.put(bun)


def steamer(raw, steamed, shop):
    while (bun := raw.get()) is not None:
        steamed.put(shop.steam(bun))


def diner(steamed, shop):
    while (bun := steamed.get()) is not None:
        shop.eat(bun)


def open_shop(shop):
    raw, steamed = multiprocessing.Queue(), multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(raw, shop)) for _ in range(shop.cooks)]
    steamers = [multiprocessing.Process(target=steamer, args=(raw, steamed, shop)) for _ in range(shop.steamers)]
    diners = [multiprocessing.Process(target=diner, args=(steamed, shop)) for _ in range(shop.diners)]
    for worker in cooks + steamers + diners:
        worker.start()
    for a_cook in cooks:
        a_cook.join()  # every raw bun is on the raw counter
    for _ in steamers:
        raw.put(None)  # one end-of-stream per steamer, behind the last raw bun
    for a_steamer in steamers:
        a_steamer.join()  # every bun is steamed and on the steamed counter
    for _ in diners:
        steamed.put(None)  # one end-of-stream per diner, behind the last steamed bun
    for a_diner in diners:
        a_diner.join()
    print("Every bun is steamed and eaten. The shop is closed.")
