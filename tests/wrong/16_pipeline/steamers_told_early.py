"""Wrong: the steamers get their None as soon as the shop opens, before the cooks are joined.

"They will take the buns first anyway." Only the buns already on the raw
counter: a slow cook's later buns come after the None, and by then the
steamers are gone. Those buns stop between the cooks and the steamers (LOST).
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
    for _ in steamers:
        raw.put(None)  # "the steamers stop when the counter is done"
    for a_cook in cooks:
        a_cook.join()
    for a_steamer in steamers:
        a_steamer.join()  # every bun is steamed and on the steamed counter
    for _ in diners:
        steamed.put(None)  # one end-of-stream per diner, behind the last steamed bun
    for a_diner in diners:
        a_diner.join()
    print("Every bun is steamed and eaten. The shop is closed.")
