"""Wrong: one None per stage, not one per worker of the stage.

One None stops one steamer. With two steamers the other waits at the raw
counter for ever, and main waits for it (HANG).
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
    raw.put(None)  # "the raw counter is done"
    for a_steamer in steamers:
        a_steamer.join()  # every bun is steamed and on the steamed counter
    steamed.put(None)  # "the steamed counter is done"
    for a_diner in diners:
        a_diner.join()
    print("Every bun is steamed and eaten. The shop is closed.")
