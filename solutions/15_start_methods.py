"""Kata 15 · Every start method: reference solution.

Under fork a child is a copy of main: it already has every function,
variable and queue, so nothing is sent to it. Under spawn and forkserver a
child is a fresh interpreter: main pickles the target and its arguments and
sends them over, and the child imports this file again, as `__mp_main__`, to
find the functions by name. Three rules follow:
- targets are top-level functions (a lambda, or a function defined inside
  another, has no name a child could import);
- what a child needs goes in `args` (the counter, the shop), never in a
  global that main fills in after the import;
- what only main must do (open the shop) sits under
  `if __name__ == "__main__":`, or every child would do it again as it
  imports the file.
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


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
