"""Wrong: the last lines, which open the shop, without their `if __name__ == "__main__":`.

Under fork nothing imports the file again. Under spawn and forkserver the
child imports it (as __mp_main__) to find diner() and cook(), and so opens a
shop of its own while it is still starting: multiprocessing refuses with a
RuntimeError that asks for the `if __name__ == "__main__":` guard (CRASH).
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
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in diners:
        counter.put(None)
    for a_diner in diners:
        a_diner.join()
    print("Every bun is eaten. The shop is closed.")


from dojo.learner import run_file  # "the file is the program: just run it"

run_file(__file__)
