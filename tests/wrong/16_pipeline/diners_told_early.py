"""Wrong: the diners get their None once the cooks are done, before the steamers are.

The cooks being done does not mean the buns are steamed: slow steamers put
their last buns on the steamed counter after the diners' None, and the diners
have already gone home. A stage stopped early, and those buns stop between
the steamers and the diners (LOST).
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
        raw.put(None)
    for _ in diners:
        steamed.put(None)  # "the cooks are done, so the shop is done"
    for a_steamer in steamers:
        a_steamer.join()
    for a_diner in diners:
        a_diner.join()
    print("Every bun is steamed and eaten. The shop is closed.")
