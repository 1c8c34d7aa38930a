"""Wrong: main puts the None (one per diner) while the cooks are still cooking.

Switching to sentinels, this learner also dropped the cooks' counter.join()
("the None will stop the diners") and put the None right after opening the
shop, "at the back of the queue". But a bun cooked later goes behind them:
the diners go home first, and the buns of a late cook are never eaten (LOST).
(Had the cooks kept their counter.join(), a cook would wait there forever
for those buns instead: a HANG.)
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop):
    while (bun := counter.get()) is not None:
        shop.eat(bun)
        counter.task_done()
    counter.task_done()


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for _ in diners:
        counter.put(None)  # too early: the cooks are still cooking
    for a_cook in cooks:
        a_cook.join()
    for a_diner in diners:
        a_diner.join()
    print("Every bun is eaten. The shop is closed.")
