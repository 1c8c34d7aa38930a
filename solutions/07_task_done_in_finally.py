"""Kata 07 · The bad bun: reference solution.

Each bite is wrapped on its own. ``finally`` marks the bun done whatever
``shop.eat()`` did, so the cooks' ``counter.join()`` always returns; without
it, an error skips ``task_done()`` and the count never reaches zero.
``except`` sends the error home on ``errors``: caught and dropped, it would
be a failure nobody ever sees; let through, it would kill the diner and
leave the rest of the buns to the others, or to nobody. The ``try`` is
inside the loop, so after a bad bun the diner goes on to the next one.

Main reads the errors before it joins the diners, until each diner has said
it is done (one None each): a process that put something on a queue cannot
exit until it has been read.
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
        except Exception as error:  # a bad bun: the error goes home, the diner eats on
            errors.put(error)
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
