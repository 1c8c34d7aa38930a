"""Wrong answer to kata 07: the diner catches the bad bun's error and drops it.

Every bun is marked done (finally), and the diner eats on, but the error
goes nowhere: main never hears that a diner choked (WRONG).
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()  # returns once every bun put is marked done


def diner(counter, errors, shop):
    while (bun := counter.get()) is not DONE:
        try:
            shop.eat(bun)
        except Exception:  # a bad bun: never mind, on to the next one
            pass
        finally:
            counter.task_done()  # eaten or choked on, this bun is done
    counter.task_done()  # the None was a get() too
    errors.put(DONE)  # this diner has nothing more to say


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    errors = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, errors, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in diners:
        counter.put(DONE)
    for _ in diners:  # read every error before joining: each diner ends its own with one DONE
        while (error := errors.get()) is not DONE:
            shop.handle_error(error)
    for a_diner in diners:
        a_diner.join()
