"""Wrong answer to kata 07: one try around the whole loop.

Each bun is marked done and the error goes home to main, but the error also
ends the loop: after its first bad bun the diner goes home. Other diners
may eat its share (WRONG: it stopped eating), or nobody does, and the cooks
wait in counter.join() for ever (HANG).
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()  # returns once every bun put is marked done


def diner(counter, errors, shop):
    try:
        while (bun := counter.get()) is not DONE:
            try:
                shop.eat(bun)
            finally:
                counter.task_done()  # eaten or choked on, this bun is done
        counter.task_done()
    except Exception as error:  # the error goes home: and the diner with it
        errors.put(error)
    errors.put(DONE)


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
