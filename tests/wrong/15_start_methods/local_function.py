"""Wrong: the diners' target is a function defined inside open_shop.

"It is only used here, so it lives here." Under fork that is fine. Under spawn
and forkserver the target is pickled by its name, and open_shop.<locals>.seat
is no name a child can import: start() raises in main (CRASH).
"""
import multiprocessing



def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop):
    while (bun := counter.get()) is not None:
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    def seat():
        diner(counter, shop)

    diners = [multiprocessing.Process(target=seat) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in diners:
        counter.put(None)
    for a_diner in diners:
        a_diner.join()
    print("Every bun is eaten. The shop is closed.")


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
