"""Wrong: a lambda as the diners' target.

Under fork it works: the child is a copy of main, lambda and all. Under spawn
and forkserver main must pickle the target to send it to the new
interpreter, and a lambda has no name to be found by: start() raises a
pickling error in main (CRASH).
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
    diners = [multiprocessing.Process(target=lambda: diner(counter, shop)) for _ in range(shop.diners)]
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
