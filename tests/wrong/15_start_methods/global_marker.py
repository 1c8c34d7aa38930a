"""Wrong: main changes a global after the import, and the diners read it.

The end-of-work marker is a global that open_shop() sets when the shop
opens. Under fork each child is a copy of main made after that, so it sees
"closing time". Under spawn and forkserver the child imports the file again
and gets the global as the import left it, None: the diners eat the
"closing time" marker as a bun and wait for more, for ever (HANG).
"""
import multiprocessing


DONE = None  # the end-of-work marker: open_shop() picks one that no bun can be


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop):
    while (bun := counter.get()) != DONE:
        shop.eat(bun)


def open_shop(shop):
    global DONE
    DONE = "closing time"
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in diners:
        counter.put(DONE)
    for a_diner in diners:
        a_diner.join()
    print("Every bun is eaten. The shop is closed.")


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
